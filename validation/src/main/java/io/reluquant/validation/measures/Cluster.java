package io.reluquant.validation.measures;

/**
 * A group of neurons of one sign whose directions lie within eps of the group's leader (its heaviest neuron).
 *
 * @param sign sign of a shared by the members
 * @param direction mass-weighted mean of the members' directions, normalised
 * @param mass sum of the members' masses |a_j||v_j|
 * @param members indices j of the member neurons
 */
public record Cluster(int sign, double[] direction, double mass, int[] members) {
    public Cluster {
        direction = direction.clone();
    }

    @Override
    public double[] direction() {
        return direction.clone();
    }

    /** @return the number of member neurons */
    public int size() {
        return members.length;
    }
}
